SELECT role FROM session_roles ORDER BY role
