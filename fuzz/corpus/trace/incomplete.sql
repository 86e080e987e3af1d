DELETE FROM meta WHERE key = 'complete'; DELETE FROM var_tab; DELETE FROM scope_tab;
