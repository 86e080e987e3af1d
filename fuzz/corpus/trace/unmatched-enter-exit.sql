DELETE FROM ev WHERE kind IN (SELECT kind FROM kinds WHERE name LIKE '%EXIT%') AND id % 2 = 0; DELETE FROM ev WHERE kind IN (SELECT kind FROM kinds WHERE name LIKE '%ENTER%') AND id % 3 = 0;
