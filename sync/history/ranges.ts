/** Index of the first of `ranges` (sorted, not overlapping) whose end lies after `clock`; binary search. */
export function firstRangeEndingAfter(ranges: readonly { to: number }[], clock: number): number {
  let low = 0
  let high = ranges.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (ranges[mid]!.to <= clock) low = mid + 1
    else high = mid
  }
  return low
}
