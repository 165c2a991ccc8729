print("driftless")
