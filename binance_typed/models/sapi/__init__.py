"""Response models of the /sapi groups, one module per group (generated from the catalogue).

Nothing is imported here: a group's models load with that group, on first use.
"""
