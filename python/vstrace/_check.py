"""vstrace.check: stub (filled in below)."""


class Finding(object):
    pass


class Findings(list):
    pass


def check(build_fn, config=".vscheck.yml"):
    raise NotImplementedError
