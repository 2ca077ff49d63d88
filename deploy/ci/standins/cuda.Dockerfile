# Stand-in for nvidia/cuda:<13.x>-cudnn-runtime-ubuntu24.04 with NO CUDA in it: lets the CUDA stage
# of the shipped Dockerfile build and start here (CPU provider), and fail clearly with USE_GPU=true.
ARG BASE
FROM ${BASE}
ENV NVIDIA_VISIBLE_DEVICES=all NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    LD_LIBRARY_PATH=/usr/local/nvidia/lib:/usr/local/nvidia/lib64
LABEL org.opencontainers.image.description="local stand-in for the NVIDIA CUDA runtime image, without CUDA"
