SELECT job_name, state FROM dba_datapump_jobs WHERE owner_name = USER ORDER BY job_name
