SELECT job_name, state, degree, attached_sessions
  FROM dba_datapump_jobs
 WHERE owner_name = USER AND job_name = :job_name
