DECLARE h NUMBER;
  -- dbclone: the job name is chosen by dbclone (second resolution) and
  -- journaled before the job starts, so a resumed run finds it
  v_job CONSTANT VARCHAR2(128) := :job_name;
BEGIN
  -- dbclone: the job writes its log in the language of the session that
  -- opens it, and dbclone reads that log (verdict, rows per table): opened
  -- in AMERICAN whatever ORDS or the database default chose
  EXECUTE IMMEDIATE 'ALTER SESSION SET NLS_LANGUAGE = AMERICAN';
  h := DBMS_DATAPUMP.OPEN('IMPORT','SCHEMA',NULL,
         v_job);

  DBMS_DATAPUMP.ADD_FILE(h,
    :dump_uri,
    :credential_name, NULL, DBMS_DATAPUMP.KU$_FILE_TYPE_URIDUMP_FILE);

  DBMS_DATAPUMP.ADD_FILE(h,
    :log_file, 'DATA_PUMP_DIR', NULL,
    DBMS_DATAPUMP.KU$_FILE_TYPE_LOG_FILE);

  -- rename the schema as it's imported
  DBMS_DATAPUMP.METADATA_REMAP(h, 'REMAP_SCHEMA',
    :source_schema, :target_schema);
  -- dbclone: parallelism is configurable (--parallel)
  DBMS_DATAPUMP.SET_PARALLEL(h, :parallel);

  DBMS_DATAPUMP.START_JOB(h);
  DBMS_DATAPUMP.DETACH(h);
END;
