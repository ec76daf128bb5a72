"""Screening weighings against the Order 62 limits, and the 一超四罚 follow-up of detections."""
