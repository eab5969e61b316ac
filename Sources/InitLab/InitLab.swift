/// InitLab: a small dense-network trainer on MNIST that reproduces the weight-initialization study.
public enum InitLab {}
