"""QTI, one module a job: ``parsing`` (safe XML, one spelling, the results every reader shares), ``reader``
(QTI 2.1 / 3.0 items and packages), ``qti12`` (QTI 1.2 as Common Cartridge embeds it), ``writer`` (QTI 3.0
export) and ``services`` (a bank's import and export, the only part that touches the database). All but
``services`` are pure: no Django."""
