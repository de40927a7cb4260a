"""楼宇经济发展指数（昆政发〔2010〕62号 附件2《昆明市楼宇经济发展指数评价体系》）.

A Django app nested in the buildings policy (label `buildings_devindex`): the 47 indicators of
the annex's table, the data set per county and year, stored specifications and weights
(versioned interpretations), every run with its specification and inputs, the sensitivity
analysis, pages with server-side SVG charts and the yearly report PDF. The computation itself
is the kernel's `kmgov.rules.composite`.
"""
