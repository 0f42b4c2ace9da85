DECLARE
  v_version    VARCHAR2(100);
  v_compatible VARCHAR2(100);
BEGIN
  -- dbclone: read first, so that the export's Data Pump version and the APEX
  -- install are known to work before any data moves
  DBMS_UTILITY.DB_VERSION(v_version, v_compatible);
  :version    := v_version;
  :compatible := v_compatible;
  SELECT version_no INTO :apex_version FROM apex_release;
  -- dbclone: the Data Pump PARALLEL a job on this database gets is derived
  -- from its CPU_COUNT (the CPUs it may use: on ADB its ECPU/OCPU share),
  -- capped by MAX_DATAPUMP_PARALLEL_PER_JOB. Dynamic SQL, so that a user
  -- who may not read V$PARAMETER gets NULLs (and the fallback) instead of
  -- a block that does not compile.
  BEGIN
    EXECUTE IMMEDIATE
      'SELECT MAX(CASE WHEN name = ''cpu_count'' THEN value END), '
      || 'MAX(CASE WHEN name = ''max_datapump_parallel_per_job'' THEN value END) '
      || 'FROM v$parameter WHERE name IN (''cpu_count'', ''max_datapump_parallel_per_job'')'
      INTO :cpu_count, :max_datapump_parallel;
  EXCEPTION
    WHEN OTHERS THEN
      :cpu_count := NULL;
      :max_datapump_parallel := NULL;
      :parameter_error := TO_CHAR(SQLCODE);
  END;
END;
