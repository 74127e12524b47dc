"""Layanan Bidang Tenaga Kerja Kota Pagar Alam: the labour-services desktop application."""

__version__ = "0.1.0"
