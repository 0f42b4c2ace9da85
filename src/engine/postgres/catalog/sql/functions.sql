-- identity_arguments without the IN mode: PostgreSQL 14+ prints "IN p bigint"
-- for a procedure's argument where 13 prints "p bigint"; both mean the same
-- procedure, and the name must match across releases (verify, --resume).
SELECT p.oid, p.proname, p.prokind,
       regexp_replace(pg_get_function_identity_arguments(p.oid), '(^|, )IN ', '\1', 'g') AS identity_arguments,
       CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END AS definition,
       quote_ident(n.nspname) || '.' || quote_ident(p.proname) AS qualified_name,
       p.prosrc AS body, array_to_string(p.proconfig, ', ') AS config,
       pg_get_function_arguments(p.oid) AS arguments,
       p.proparallel,
       obj_description(p.oid, 'pg_proc') AS comment,
       p.proacl IS NOT NULL AS has_acl,
       (SELECT json_agg(json_build_object('grantee', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
                                          'privilege', a.privilege_type, 'grantable', a.is_grantable))
          FROM aclexplode(p.proacl) a WHERE a.grantee <> p.proowner) AS grants,
       a.aggkind, a.aggnumdirectargs,
       CASE WHEN p.prokind = 'a' THEN a.aggtransfn::regproc::text END AS agg_sfunc,
       CASE WHEN p.prokind = 'a' THEN format_type(a.aggtranstype, NULL) END AS agg_stype,
       a.aggtransspace AS agg_sspace,
       CASE WHEN a.aggfinalfn <> 0 THEN a.aggfinalfn::regproc::text END AS agg_finalfunc,
       a.aggfinalextra AS agg_finalfunc_extra,
       a.aggfinalmodify AS agg_finalfunc_modify,
       CASE WHEN a.aggcombinefn <> 0 THEN a.aggcombinefn::regproc::text END AS agg_combinefunc,
       CASE WHEN a.aggserialfn <> 0 THEN a.aggserialfn::regproc::text END AS agg_serialfunc,
       CASE WHEN a.aggdeserialfn <> 0 THEN a.aggdeserialfn::regproc::text END AS agg_deserialfunc,
       a.agginitval AS agg_initcond,
       CASE WHEN a.aggmtransfn <> 0 THEN a.aggmtransfn::regproc::text END AS agg_msfunc,
       CASE WHEN a.aggminvtransfn <> 0 THEN a.aggminvtransfn::regproc::text END AS agg_minvfunc,
       CASE WHEN a.aggmtranstype <> 0 THEN format_type(a.aggmtranstype, NULL) END AS agg_mstype,
       CASE WHEN a.aggmfinalfn <> 0 THEN a.aggmfinalfn::regproc::text END AS agg_mfinalfunc,
       a.aggminitval AS agg_minitcond,
       CASE WHEN a.aggsortop <> 0 THEN a.aggsortop::regoper::text END AS agg_sortop
  FROM pg_proc p
  JOIN pg_namespace n ON n.oid = p.pronamespace
  LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid
 WHERE n.nspname = $1
   -- e: belongs to an extension; i: made by its owner object (range and multirange constructors)
   AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_proc'::regclass AND x.objid = p.oid AND x.deptype IN ('e', 'i'))
 ORDER BY p.proname, identity_arguments
