DECLARE
  v_workspace CONSTANT VARCHAR2(255)  := :workspace;
  v_schema    CONSTANT VARCHAR2(128)  := :schema;
  v_cred      CONSTANT VARCHAR2(128)  := :credential_name;
  v_base      CONSTANT VARCHAR2(1000) := :apex_uri;
  l_names apex_t_varchar2 := apex_string.split(:file_names, CHR(10));
  l_files apex_t_export_files := apex_t_export_files();

  -- The export was stored as UTF-8 bytes; INSTALL takes CLOBs.
  FUNCTION text(b BLOB) RETURN CLOB IS
    c CLOB;
    d INTEGER := 1;
    s INTEGER := 1;
    ctx INTEGER := DBMS_LOB.DEFAULT_LANG_CTX;
    w INTEGER;
  BEGIN
    DBMS_LOB.CREATETEMPORARY(c, TRUE);
    DBMS_LOB.CONVERTTOCLOB(c, b, DBMS_LOB.LOBMAXSIZE, d, s, NLS_CHARSET_ID('AL32UTF8'), ctx, w);
    RETURN c;
  END;
BEGIN
  -- The export stays server-side: object storage -> BLOB -> apex_t_export_files.
  FOR i IN 1 .. l_names.COUNT LOOP
    l_files.EXTEND;
    l_files(l_files.COUNT) := apex_t_export_file(
      name     => l_names(i),
      contents => text(DBMS_CLOUD.GET_OBJECT(credential_name => v_cred, object_uri => v_base || l_names(i))));
  END LOOP;
  -- One request is one session: workspace, settings and install in one block.
  APEX_UTIL.SET_WORKSPACE(p_workspace => v_workspace);
  APEX_APPLICATION_INSTALL.SET_WORKSPACE(p_workspace => v_workspace);
  APEX_APPLICATION_INSTALL.SET_SCHEMA(p_schema => v_schema);
  {{APP_ID_CALL}}
  APEX_APPLICATION_INSTALL.GENERATE_OFFSET;
  APEX_APPLICATION_INSTALL.INSTALL(p_source => l_files, p_overwrite_existing => FALSE);
  -- dbclone: this block runs as a Scheduler job (an install of a big app
  -- outlasts a REST request), which returns nothing: the installed id is
  -- read from apex_applications afterwards.
  COMMIT;
END;
