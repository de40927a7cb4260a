def contribute(stdout):
    pass
