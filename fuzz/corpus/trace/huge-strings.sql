UPDATE strings SET s = s || printf('%.*c', 1000000, 'x') WHERE id = (SELECT min(id) FROM strings);
