"""What leaves the app: data files (JSON, CSV, Markdown) and printed matter (PDF).

Every exporter reads an immutable `Snapshot`; none of them writes to the store. Importing this
package must stay cheap: reportlab is imported only by the PDF modules.
"""
