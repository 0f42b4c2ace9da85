DECLARE
  v_retention CONSTANT VARCHAR2(20) := :retention;
  v_adb       CONSTANT VARCHAR2(50) := :adb;
  v_schema    CONSTANT VARCHAR2(50) := :schema;
  v_ts        CONSTANT VARCHAR2(20) := TO_CHAR(SYSTIMESTAMP,'YYYYMMDD"T"HH24MISS');
  v_prefix    CONSTANT VARCHAR2(500) :=
    v_retention||'/'||v_adb||'/schema/'||v_schema||'/'||v_ts||'/';
  v_base      CONSTANT VARCHAR2(500) :=
    :bucket_uri||v_prefix;
  v_log       CONSTANT VARCHAR2(100) := 'export_'||v_adb||'_'||v_schema||'_'||v_ts||'.log';
  h NUMBER;
BEGIN
  h := DBMS_DATAPUMP.OPEN('EXPORT','SCHEMA',NULL,
         'SCH_'||UPPER(v_schema)||'_'||v_ts);

  DBMS_DATAPUMP.ADD_FILE(h,
    v_base || 'dump_%U.dmp',
    :credential_name, NULL, DBMS_DATAPUMP.KU$_FILE_TYPE_URIDUMP_FILE);

  DBMS_DATAPUMP.ADD_FILE(h,
    v_log, 'DATA_PUMP_DIR', NULL,
    DBMS_DATAPUMP.KU$_FILE_TYPE_LOG_FILE);

  DBMS_DATAPUMP.METADATA_FILTER(h, 'SCHEMA_LIST', ''''||UPPER(v_schema)||'''');
  DBMS_DATAPUMP.METADATA_FILTER(h, 'EXCLUDE_PATH_EXPR', 'IN (''STATISTICS'')');
  -- dbclone: parallelism is configurable (--parallel)
  DBMS_DATAPUMP.SET_PARALLEL(h, :parallel);

  DBMS_DATAPUMP.START_JOB(h);
  -- dbclone: report the names back, then detach: the job runs on while
  -- dbclone polls user_datapump_jobs (a request must never wait for it)
  :job_name := 'SCH_'||UPPER(v_schema)||'_'||v_ts;
  :prefix   := v_prefix;
  :log_file := v_log;
  DBMS_DATAPUMP.DETACH(h);
END;
