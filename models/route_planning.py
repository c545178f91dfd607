"""Ordering a day's stops by travel distance, on coordinates only (no map service).

Plain functions, no model: a point is ``(latitude, longitude)`` in degrees, a route an open
path from a fixed start through every stop once (the technician does not have to come back).
Nearest neighbour gives a first route; 2-opt then reverses any stretch of it that makes the
route shorter, and or-opt moves any run of one to three stops elsewhere when that does (a
move 2-opt cannot make on an open path), until neither shortens it. The result is never
longer than the order it was given.
"""
import math

EARTH_RADIUS_KM = 6371.0088


def haversine_km(a, b):
    """Great-circle distance in kilometres between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_matrix(points):
    """``matrix[i][j]``: the distance between points i and j."""
    return [[haversine_km(a, b) for b in points] for a in points]


def path_length(matrix, path):
    """Length of the open path visiting the indices of ``path`` in order."""
    return sum(matrix[a][b] for a, b in zip(path, path[1:], strict=False))


def nearest_neighbour(matrix, start, stops):
    """From ``start``, always on to the closest stop not visited yet."""
    path, left = [start], list(stops)
    while left:
        here = path[-1]
        nearest = min(left, key=lambda stop: (matrix[here][stop], stop))
        path.append(nearest)
        left.remove(nearest)
    return path


def two_opt(matrix, path):
    """Improve an open path whose first point is fixed: reverse the stretch ``path[i..j]``
    whenever that shortens the route, until no reversal does (a local optimum)."""
    path = list(path)
    count = len(path)
    improved = True
    while improved:
        improved = False
        for i in range(1, count - 1):
            for j in range(i + 1, count):
                before = matrix[path[i - 1]][path[i]]
                after = matrix[path[i - 1]][path[j]]
                if j + 1 < count:
                    before += matrix[path[j]][path[j + 1]]
                    after += matrix[path[i]][path[j + 1]]
                if after < before - 1e-9:
                    path[i:j + 1] = reversed(path[i:j + 1])
                    improved = True
    return path


def or_opt(matrix, path, longest=3):
    """Improve an open path whose first point is fixed: move a run of 1 to ``longest`` stops,
    as it is or reversed, to the place where it shortens the route most, until none does."""
    path = list(path)
    improved = True
    while improved:
        improved = False
        for size in range(1, longest + 1):
            for i in range(1, len(path) - size + 1):
                end = i + size - 1
                before, after = path[i - 1], path[end + 1] if end + 1 < len(path) else None
                gain = matrix[before][path[i]]
                if after is not None:
                    gain += matrix[path[end]][after] - matrix[before][after]
                rest = path[:i] + path[end + 1:]
                run = path[i:end + 1]
                best = (-1e-9, None, None)
                for j in range(len(rest)):
                    if j == i - 1:
                        continue  # where it is
                    nxt = rest[j + 1] if j + 1 < len(rest) else None
                    for first, last in ((run[0], run[-1]), (run[-1], run[0])):
                        cost = matrix[rest[j]][first]
                        if nxt is not None:
                            cost += matrix[last][nxt] - matrix[rest[j]][nxt]
                        if cost - gain < best[0]:
                            best = (cost - gain, j, first == run[0])
                if best[1] is not None:
                    _delta, j, forward = best
                    path = rest[:j + 1] + (run if forward else run[::-1]) + rest[j + 1:]
                    improved = True
                    break
            if improved:
                break
    return path


def improve(matrix, path):
    """2-opt and or-opt in turn until neither shortens the open path."""
    length = path_length(matrix, path)
    while True:
        path = or_opt(matrix, two_opt(matrix, path))
        shorter = path_length(matrix, path)
        if shorter >= length - 1e-9:
            return path
        length = shorter


def optimise_order(start, stops):
    """The order to visit ``stops`` (points) from ``start`` (a point): indices into ``stops``.

    The local search (2-opt, or-opt) is run from the nearest-neighbour route and from the
    given order, and the shorter result wins, so the route returned is never longer than the
    given one."""
    if len(stops) < 2:
        return list(range(len(stops)))
    matrix = distance_matrix([start, *stops])
    given = list(range(len(stops) + 1))
    candidates = [improve(matrix, nearest_neighbour(matrix, 0, given[1:])), improve(matrix, given)]
    best = min(candidates, key=lambda path: path_length(matrix, path))
    return [index - 1 for index in best[1:]]


def route_length_km(start, stops):
    """Length in kilometres of the open path from ``start`` through ``stops`` in order."""
    points = [start, *stops] if start else list(stops)
    return sum(haversine_km(a, b) for a, b in zip(points, points[1:], strict=False))
