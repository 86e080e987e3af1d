UPDATE ev SET id = id + 1000 WHERE id % 5 = 0 AND id + 1000 NOT IN (SELECT id FROM ev); UPDATE ev SET ts = -ts; UPDATE ev SET tid = tid + 1 WHERE id % 4 = 1;
