from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments import exports

from ._cycles import find_cycle


class Command(BaseCommand):
    help = ("Writes a cycle's returns (one row per issue), its Appendix A or its district-by-category matrix, "
            "as CSV (to standard output or --out) or XLSX (to --out).")

    def add_arguments(self, parser):
        parser.add_argument("label", help="The cycle, e.g. 2023-24")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--table", choices=list(exports.TABLES), default="returns")
        parser.add_argument("--out", type=Path, help="The file to write; standard output if not given (CSV only)")
        parser.add_argument("--agreement", help="The agreement's slug, if two agreements have this cycle")

    def handle(self, label, format, table, out, agreement, **options):
        cycle = find_cycle(label, agreement)
        if format == "xlsx":
            if out is None:
                raise CommandError("XLSX is a binary file: give --out, e.g. --out returns.xlsx")
            out.write_bytes(exports.xlsx_bytes(cycle, table))
        elif out is None:
            exports.write_csv(cycle, self.stdout, table)
        else:
            with out.open("w", encoding="utf-8", newline="") as stream:
                exports.write_csv(cycle, stream, table)
        if out is not None:
            self.stderr.write(f"Wrote {out}")
