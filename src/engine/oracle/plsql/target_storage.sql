-- dbclone: storage of the target for the preflight. DBA_DATA_FILES: BYTES
-- is what the data files hold now, MAXBYTES what they may grow to
-- (autoextensible; 0 when not). DBA_SEGMENTS: what is used. On Autonomous
-- Database the data files' limit follows the provisioned storage (assumed,
-- see docs/oracle.md); the schema's own segments are what a refresh frees.
SELECT TO_CHAR((SELECT NVL(SUM(GREATEST(bytes, maxbytes)), 0) FROM dba_data_files)) AS max_bytes,
       TO_CHAR((SELECT NVL(SUM(bytes), 0) FROM dba_segments)) AS used_bytes,
       TO_CHAR((SELECT NVL(SUM(bytes), 0) FROM dba_segments WHERE owner = :schema)) AS schema_bytes
  FROM dual
