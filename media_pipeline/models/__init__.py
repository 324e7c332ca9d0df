from media_pipeline.models.qr import DailyScanCount, PlaqueBatch, ShortCode, ShortCodeHistory

__all__ = ["DailyScanCount", "PlaqueBatch", "ShortCode", "ShortCodeHistory"]
