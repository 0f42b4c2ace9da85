-- Objects dbclone does not recreate: a foreign table (with the wrapper and
-- server it needs outside the schema). The clone must stop before touching
-- the target and name it -- never copy the rest and skip it.
CREATE SCHEMA fid_unsupported;
SET search_path = fid_unsupported;

CREATE TABLE local_note (id integer, note text);
INSERT INTO local_note VALUES (1, 'kept here');

CREATE FOREIGN DATA WRAPPER fid_unsupported_fdw;
CREATE SERVER fid_unsupported_server FOREIGN DATA WRAPPER fid_unsupported_fdw;
CREATE FOREIGN TABLE remote_note (id integer, note text) SERVER fid_unsupported_server;
