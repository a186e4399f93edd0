package command

var dbCommands = []Spec{}
