UPDATE ev SET p0 = p0 + 4000000000, vscope = -7, graph = 9223372036854775807, site = -1 WHERE id % 2 = 1; INSERT INTO strings VALUES (-1, -1, 'neg');
