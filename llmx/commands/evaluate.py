"""Placeholder: being implemented."""
import typer
tickers_app = typer.Typer()
def recognize_command() -> None: raise NotImplementedError
def validate_command() -> None: raise NotImplementedError
def extract_command() -> None: raise NotImplementedError
def eval_command() -> None: raise NotImplementedError
