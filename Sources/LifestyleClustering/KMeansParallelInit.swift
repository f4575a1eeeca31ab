/// k-means|| initialisation (Bahmani et al. 2012), for inputs where k passes of k-means++ are
/// too slow: `rounds` passes each keep every row independently with probability
/// min(1, ℓ·D(x)/Σ D) (ℓ = oversampling · k), then the candidates — weighted by how many rows
/// are nearest to each — are reduced to k centres with weighted greedy k-means++.
/// - Complexity: O(rounds · nnz · ℓ) plus k-means++ on about rounds · ℓ candidate rows.
extension Initializer {
    func kMeansParallel(k: Int, rounds: Int, oversampling: Double, rng: inout SeededGenerator, into centers: UnsafeMutablePointer<Float>) {
        let included = (0..<n).filter { weights.isIncluded($0) }
        let first = included[rng.nextInt(below: included.count)]
        var chosen = [first]
        var isChosen = [Bool](repeating: false, count: n)
        isChosen[first] = true
        var closest = [Float](repeating: .greatestFiniteMagnitude, count: n)
        var nearest = [Int32](repeating: 0, count: n)
        let batch = 32
        let scratch = candidateScratch(candidates: batch)
        defer { scratch.deallocate() }
        let (cand, aux, cn2, dist) = (scratch.candidates, scratch.auxiliary, scratch.norms, scratch.distances)

        /// Folds the distances to newly chosen rows into `closest`/`nearest`.
        func absorb(_ fresh: ArraySlice<Int>, offset: Int) {
            var start = fresh.startIndex
            while start < fresh.endIndex {
                let part = Array(fresh[start..<min(fresh.endIndex, start + batch)])
                distances(toRows: part, buffers: (cand, aux, cn2), out: dist)
                for i in 0..<n where weights.isIncluded(i) {
                    for t in 0..<part.count where dist[i * part.count + t] < closest[i] {
                        closest[i] = dist[i * part.count + t]
                        nearest[i] = Int32(offset + (start - fresh.startIndex) + t)
                    }
                }
                start += part.count
            }
        }
        absorb([first][...], offset: 0)
        let ell = oversampling * Double(k)
        for _ in 0..<rounds {
            var phi = 0.0
            for i in included { phi += Double(closest[i]) }
            guard phi > 0 else { break }
            var fresh: [Int] = []
            for i in included where !isChosen[i] {
                // One draw per row in row order keeps the sample independent of threads.
                if rng.nextUniform() < ell * Double(closest[i]) / phi { fresh.append(i); isChosen[i] = true }
            }
            let offset = chosen.count
            chosen.append(contentsOf: fresh)
            absorb(fresh[...], offset: offset)
        }
        if chosen.count <= k {
            // Too few candidates (tiny or duplicate-heavy input): fall back to k-means++ on everything.
            kMeansPlusPlus(k: k, rng: &rng, into: centers)
            return
        }
        var w = [Float](repeating: 0, count: chosen.count)
        for i in included { w[Int(nearest[i])] += 1 }
        let sub = input.subset(rows: chosen)
        let subWeights = RowWeights(sub, spherical: spherical)
        let reducer = Initializer<I>(input: sub, weights: subWeights, spherical: spherical, threads: threads)
        reducer.kMeansPlusPlus(k: k, rng: &rng, into: centers, sampleWeights: w)
    }
}
