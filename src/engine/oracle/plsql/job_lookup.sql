SELECT (SELECT MAX(state) FROM dba_datapump_jobs
         WHERE owner_name = USER AND job_name = :job_name) AS state,
       (SELECT COUNT(*) FROM TABLE(DBMS_CLOUD.LIST_FILES('DATA_PUMP_DIR'))
         WHERE object_name = :log_file) AS log_files
  FROM dual
