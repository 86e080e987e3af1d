UPDATE ev SET tid = 'x', kind = 3.5, site = X'00ff', p0 = NULL WHERE id % 3 = 0; UPDATE strings SET s = 12345 WHERE id % 2 = 0; UPDATE procs SET pid = 'abc', exit_code = 1e300;
