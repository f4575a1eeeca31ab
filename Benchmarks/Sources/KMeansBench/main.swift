print("KMeansBench placeholder")
