"""The phone room: participants vote from their own phones over the laptop's local network.

`round` is the domain (codes, tokens, the ballot box); `server` the small web server that
exists only while a round is open; `static/` the page the phones load. Nothing else in the
kit opens a socket.
"""
