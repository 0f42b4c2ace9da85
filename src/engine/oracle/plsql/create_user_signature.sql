SELECT a.argument_name, a.data_type, NVL(a.overload, '0') AS overload
  FROM all_arguments a
 WHERE a.package_name = 'APEX_UTIL' AND a.object_name = 'CREATE_USER'
   AND a.owner = (SELECT table_owner FROM all_synonyms
                   WHERE owner = 'PUBLIC' AND synonym_name = 'APEX_UTIL')
   AND a.argument_name IS NOT NULL
 ORDER BY a.overload, a.position
