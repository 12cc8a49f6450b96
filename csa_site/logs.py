"""Log lines as JSON, one a line on stderr, for a log collector to read."""

import datetime
import json
import logging


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
        }
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        status = getattr(record, "status_code", None)
        if status is not None:
            line["status"] = status
        return json.dumps(line, ensure_ascii=False)
