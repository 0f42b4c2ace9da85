SELECT username FROM all_users WHERE username = :schema
