// Clustering stage: k-means engines over TF-IDF vectors (see KMeans*.swift).
