"""The evidence service's use cases: records, HR intake and files, each stored with the event it announces."""
