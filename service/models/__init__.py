"""ONNX models stored in MongoDB (GridFS + metadata) and served with ONNX Runtime."""
