BEGIN
  APEX_INSTANCE_ADMIN.ADD_WORKSPACE(
    p_workspace      => :workspace,
    p_primary_schema => :schema);
END;
