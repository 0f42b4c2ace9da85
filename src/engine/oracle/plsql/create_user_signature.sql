SELECT a.argument_name, a.data_type, NVL(a.overload, '0') AS overload
  FROM dba_arguments a
  JOIN dba_synonyms s ON a.owner = s.table_owner AND a.package_name = s.table_name
 WHERE s.owner = 'PUBLIC' AND s.synonym_name = 'APEX_UTIL'
   AND a.object_name = 'CREATE_USER'
   AND a.argument_name IS NOT NULL
 ORDER BY a.overload, a.position
