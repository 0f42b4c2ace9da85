SELECT db_link, username, host
  FROM all_db_links
 WHERE owner = :schema
 ORDER BY db_link
