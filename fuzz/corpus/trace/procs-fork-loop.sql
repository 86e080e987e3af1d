INSERT INTO procs VALUES (2, 1, 1, 2, 5, 0, 0, 0, 1); INSERT INTO procs VALUES (3, 7, 7, 2, 99999999999, 0, 9, 1, 0); UPDATE procs SET parent_proc = 3 WHERE proc = 1;
