"""What a visitor's map shows: the page carries no points, it loads them from its feeds."""

import re

FEED = re.compile(r'HeritageMap\.loadPoints\(\w+, \w+, "([^"]+)", "(\w+)"')


def feeds_of(html):
    """Kind → the feed the page loads that layer from after first paint."""
    return {kind: url.replace("\\u0026", "&") for url, kind in FEED.findall(html)}


def map_text(client, path):
    """The map page and the bodies of the feeds it loads, as one text (what a visitor sees)."""
    html = client.get(path).content.decode()
    bodies = []
    for url in feeds_of(html).values():
        response = client.get(url)
        assert response.status_code == 200, url
        bodies.append(response.content.decode())
    return "\n".join([html, *bodies])
