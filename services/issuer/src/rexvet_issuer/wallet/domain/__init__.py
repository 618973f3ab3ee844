"""The wallet hand-off's rules: offers, key proofs, the holder-bound copy, the metadata; no I/O."""
