"""Hostile inputs (students' files, hand-written specs, edited bundles): generators and the
clean outcome each must get."""
