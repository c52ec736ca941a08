"""Bank statements: reading the bank's export (`parse`) and proposing what each incoming line pays (`matching`).

Both are plain Python over plain data, so that 5,000 lines are read and matched in well under a second
(`bench/reconcile.py`); `members.domain.reconciliation` stores the result and takes the workflow steps.
"""
