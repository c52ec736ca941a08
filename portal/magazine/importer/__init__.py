"""Import of back issues of 《信用浙江》 from plain-text extractions."""
