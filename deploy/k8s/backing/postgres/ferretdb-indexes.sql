-- Indexes that FerretDB 1.24's PostgreSQL backend can use for the queries it actually sends.
--
-- FerretDB 1.24 creates a btree index on (_jsonb->'_id') for every collection (and one per createIndexes key), but it
-- pushes an equality filter down as containment, `_jsonb->'_id' @> '"d7"'`, which a btree index cannot serve: every
-- find/replace/delete by _id scanned the table (measured with 10 KB documents: find_one 44 ms and replace_one 42 ms at
-- 10,000 documents, growing linearly). A GIN (jsonb_path_ops) index on the same expression serves `@>`: 2.0 / 2.7 ms.
--
-- An event trigger adds that companion index whenever FerretDB creates a collection table or a btree index on a
-- document field, so collections created later are covered too. FerretDB never sees these indexes (it lists indexes
-- from its own metadata table), and they go away with the table. Apply the same file to a production PostgreSQL
-- behind FerretDB 1.x.

CREATE OR REPLACE FUNCTION rexvet_ferretdb_companion_indexes() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
    obj record;
    first_key text;
BEGIN
    FOR obj IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
        CONTINUE WHEN obj.schema_name IN ('public', 'pg_catalog', 'information_schema');

        IF obj.command_tag = 'CREATE TABLE' AND obj.object_type = 'table'
           AND EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = obj.objid AND attname = '_jsonb' AND NOT attisdropped)
           AND NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = obj.objid AND relname LIKE '\_ferretdb\_%') THEN
            EXECUTE format('CREATE INDEX ON %s USING gin ((_jsonb -> %L) jsonb_path_ops)', obj.object_identity, '_id');

        ELSIF obj.command_tag = 'CREATE INDEX' AND obj.object_type = 'index' THEN
            -- Only FerretDB's own btree indexes on a document field (not ours, which are GIN, so no recursion), and not
            -- its _id index, which the CREATE TABLE branch already covered.
            SELECT pg_get_indexdef(i.indexrelid, 1, true) INTO first_key
              FROM pg_index i
              JOIN pg_class c ON c.oid = i.indexrelid
              JOIN pg_am am ON am.oid = c.relam
              JOIN pg_class t ON t.oid = i.indrelid
             WHERE i.indexrelid = obj.objid AND am.amname = 'btree' AND t.relname NOT LIKE '\_ferretdb\_%';
            IF first_key IS NOT NULL AND first_key LIKE '(_jsonb -> %' AND first_key NOT LIKE '(_jsonb -> ''_id''%' THEN
                EXECUTE format('CREATE INDEX ON %s USING gin (%s jsonb_path_ops)',
                               (SELECT indrelid::regclass::text FROM pg_index WHERE indexrelid = obj.objid), first_key);
            END IF;
        END IF;
    END LOOP;
END
$$;

DROP EVENT TRIGGER IF EXISTS rexvet_ferretdb_companion_indexes;
CREATE EVENT TRIGGER rexvet_ferretdb_companion_indexes ON ddl_command_end
    WHEN TAG IN ('CREATE TABLE', 'CREATE INDEX')
    EXECUTE FUNCTION rexvet_ferretdb_companion_indexes();
