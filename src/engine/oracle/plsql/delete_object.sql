BEGIN
  -- dbclone: one object of a pruned dump set (dbclone dumps --prune --yes)
  DBMS_CLOUD.DELETE_OBJECT(
    credential_name => :credential_name,
    object_uri      => :object_uri);
END;
