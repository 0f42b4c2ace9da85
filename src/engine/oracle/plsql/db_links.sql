SELECT db_link, username, host
  FROM dba_db_links
 WHERE owner = :schema
 ORDER BY db_link
