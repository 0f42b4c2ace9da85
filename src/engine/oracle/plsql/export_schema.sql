DECLARE
  v_retention CONSTANT VARCHAR2(20) := :retention;
  v_adb       CONSTANT VARCHAR2(50) := :adb;
  v_schema    CONSTANT VARCHAR2(50) := :schema;
  -- dbclone: the timestamp and job name are chosen by dbclone and journaled
  -- before the job starts, so a resumed run finds this job instead of
  -- starting a second one
  v_ts        CONSTANT VARCHAR2(20) := :timestamp;
  v_prefix    CONSTANT VARCHAR2(500) :=
    v_retention||'/'||v_adb||'/schema/'||v_schema||'/'||v_ts||'/';
  v_base      CONSTANT VARCHAR2(500) :=
    :bucket_uri||v_prefix;
  v_log       CONSTANT VARCHAR2(100) := 'export_'||v_adb||'_'||v_schema||'_'||v_ts||'.log';
  -- dbclone: a consistent dump (no orphans from a busy source)
  v_flashback CONSTANT VARCHAR2(100) :=
    'TO_TIMESTAMP('''||TO_CHAR(SYSTIMESTAMP,'YYYY-MM-DD HH24:MI:SS.FF6')||''',''YYYY-MM-DD HH24:MI:SS.FF6'')';
  h NUMBER;
BEGIN
  -- dbclone: the job writes its log in the language of the session that
  -- opens it, and dbclone reads that log (verdict, rows per table): opened
  -- in AMERICAN whatever ORDS or the database default chose
  EXECUTE IMMEDIATE 'ALTER SESSION SET NLS_LANGUAGE = AMERICAN';
  -- dbclone: version is the target's compatibility when the target is older
  -- (a 23ai dump cannot be imported into 19c otherwise), else COMPATIBLE
  h := DBMS_DATAPUMP.OPEN('EXPORT','SCHEMA',NULL,
         :job_name, :version);

  DBMS_DATAPUMP.ADD_FILE(h,
    v_base || 'dump_%U.dmp',
    :credential_name, NULL, DBMS_DATAPUMP.KU$_FILE_TYPE_URIDUMP_FILE);

  DBMS_DATAPUMP.ADD_FILE(h,
    v_log, 'DATA_PUMP_DIR', NULL,
    DBMS_DATAPUMP.KU$_FILE_TYPE_LOG_FILE);

  DBMS_DATAPUMP.METADATA_FILTER(h, 'SCHEMA_LIST', ''''||UPPER(v_schema)||'''');
  DBMS_DATAPUMP.METADATA_FILTER(h, 'EXCLUDE_PATH_EXPR', 'IN (''STATISTICS'')');
  DBMS_DATAPUMP.SET_PARAMETER(h, 'FLASHBACK_TIME', v_flashback);
  -- dbclone: parallelism is configurable (--parallel)
  DBMS_DATAPUMP.SET_PARALLEL(h, :parallel);

  DBMS_DATAPUMP.START_JOB(h);
  -- dbclone: the dump's Data Pump version and the source's versions, in the
  -- export's own log: an import of this dump (which reads no source) checks
  -- them against its target
  DBMS_DATAPUMP.LOG_ENTRY(h, :version_note);
  -- dbclone: report the names back, then detach: the job runs on while
  -- dbclone polls dba_datapump_jobs (a request must never wait for it)
  :prefix   := v_prefix;
  :log_file := v_log;
  :flashback_time := v_flashback;
  DBMS_DATAPUMP.DETACH(h);
END;
